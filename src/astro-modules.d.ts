// svelte-check type-checks the components barrel without Astro's language service; this tells it
// that .astro files are components. `astro check` resolves them itself and never needs this.
declare module '*.astro' {
  const component: (props: Record<string, unknown>) => unknown;
  export default component;
}
