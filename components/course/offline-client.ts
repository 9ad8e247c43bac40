/**
 * The page's side of offline support: registers the service worker the build generates
 * (`build/offline-integration.ts`) with workbox-window, tells the learner whether the course is
 * available offline, and, when a new version has been downloaded, offers to switch to it. The
 * learner's progress lives in localStorage and IndexedDB, which a new version does not touch, so
 * switching loses nothing. Nothing happens in the dev server (there is no service worker there)
 * or in a browser without service workers.
 */
import { Workbox } from 'workbox-window';

/** What the footer says, by state. */
export const OFFLINE_MESSAGES = {
  installing: 'Saving the course for offline use…',
  ready: 'Available offline: every lesson and sandbox works with the network off.',
  update: 'A new version of the course is ready. Your progress is kept.',
  insecure:
    'Not saved for offline use: browsers keep a site offline only from localhost or HTTPS. The course works while its host is reachable.',
  failed: 'This browser could not save the course for offline use; it works while online.',
} as const;

/** Starts offline support on a page whose footer holds the `data-offline` elements. */
export function startOfflineSupport(document: Document): void {
  if (!import.meta.env.PROD) return;
  const box = document.querySelector<HTMLElement>('[data-offline]');
  const status = document.querySelector<HTMLElement>('[data-offline-status]');
  const update = document.querySelector<HTMLButtonElement>('[data-offline-update]');
  if (!box || !status || !update) return;
  const show = (state: keyof typeof OFFLINE_MESSAGES): void => {
    box.hidden = false;
    box.dataset['offline'] = state;
    status.textContent = OFFLINE_MESSAGES[state];
    update.hidden = state !== 'update';
  };
  // Service workers exist only in secure contexts: a room opening the host's LAN address over
  // plain HTTP gets none, and should be told why rather than left guessing.
  if (!window.isSecureContext) {
    show('insecure');
    return;
  }
  if (!('serviceWorker' in navigator)) return;

  const workbox = new Workbox('/sw.js');
  workbox.addEventListener('waiting', () => show('update'));
  // Once the new worker controls the page, load the page again from it.
  workbox.addEventListener('controlling', (event) => {
    if (event.isUpdate) window.location.reload();
  });
  update.addEventListener('click', () => {
    update.disabled = true;
    workbox.messageSkipWaiting();
  });
  if (!navigator.serviceWorker.controller) show('installing');
  workbox
    .register()
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      if (box.dataset['offline'] !== 'update') show('ready');
    })
    .catch(() => show('failed'));
}
