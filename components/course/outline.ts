/** One entry of the course outline shown on the home page. */
export interface OutlineLesson {
  /** Lesson number, 1-based, in teaching order. */
  readonly number: number;
  /** Lesson title without its number. */
  readonly title: string;
  /** One-line summary of what the lesson teaches. */
  readonly summary: string;
  /** Site-relative link to the lesson, or null while it is still being written. */
  readonly href: string | null;
}

/** The nine lessons of the course, in the order they are taught. */
export const courseOutline: readonly OutlineLesson[] = [
  {
    number: 1,
    title: 'Start from business objectives',
    summary:
      'Why a system built for a business answers to profit, and the direct and indirect roads to it.',
    href: '/lessons/01-business-objectives/',
  },
  {
    number: 2,
    title: 'ML metrics vs business metrics',
    summary:
      'The 94% to 94.2% trap, fraud losses and ad clicks: train a fraud model and price its mistakes.',
    href: '/lessons/02-ml-vs-business-metrics/',
  },
  {
    number: 3,
    title: "Companies' own metrics",
    summary:
      "Netflix's take-rate, and what moving a recommender from batch to online prediction buys.",
    href: '/lessons/03-company-metrics/',
  },
  {
    number: 4,
    title: 'Experiments decide',
    summary:
      'A/B tests pick the model that moves the business metric, not the one with the best score.',
    href: '/lessons/04-ab-tests/',
  },
  {
    number: 5,
    title: 'Be realistic about returns',
    summary: 'Setting honest expectations for what a model can add, and how soon.',
    href: '/lessons/05-realistic-returns/',
  },
  {
    number: 6,
    title: 'Reliability',
    summary: 'Models fail silently: wrong answers with no crash, and how to notice them.',
    href: '/lessons/06-reliability/',
  },
  {
    number: 7,
    title: 'Scalability',
    summary:
      'Growth in traffic, model size and model count, and autoscaling between 10 and 100 GPUs.',
    href: '/lessons/07-scalability/',
  },
  {
    number: 8,
    title: 'Maintainability',
    summary: 'Versioned code, data and artifacts, and runs that someone else can reproduce.',
    href: '/lessons/08-maintainability/',
  },
  {
    number: 9,
    title: 'Adaptability',
    summary: 'Shifting distributions, and shipping updates without interrupting the service.',
    href: '/lessons/09-adaptability/',
  },
];
