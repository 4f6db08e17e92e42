import { app, shell, type Session, type WebContents } from 'electron';
import { decideNavigation, isPermissionGranted } from './trust-policy';

/**
 * Applies the navigation rules (trust-policy.ts) to every web contents the
 * app ever creates, including ones it did not mean to: call before ready.
 */
export function installNavigationGuards(): void {
  app.on('web-contents-created', (_event, contents) => guard(contents));
}

function guard(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-externally') openExternally(event.url);
  });
  // Sub-frames (there should be none) may not go anywhere but our own pages either.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && decideNavigation(event.url) !== 'allow') event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (decideNavigation(event.url) !== 'allow') event.preventDefault();
  });
  // No new windows: a web link goes to the system browser, anything else nowhere.
  contents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url) === 'open-externally') openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function openExternally(url: string): void {
  shell.openExternal(url).catch((e: unknown) => console.warn(`cuttings: could not open ${url}:`, e));
}

/** The renderer asks for no permission and gets none. Call once the app is ready. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionGranted(permission)));
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  session.setDevicePermissionHandler(() => false);
}
