/**
 * Who may talk to main, where the window may go, and which links leave the
 * app. Pure functions so that the rules are tested in plain Node; security.ts
 * and ipc-transport.ts apply them to Electron's events.
 */
import type { Sender } from '../ipc/router';
import { isAppUrl } from './origin';

/**
 * Only the app's own top-level page may call main. A sub-frame (there should
 * be none; an injected iframe is exactly what this refuses) or any page from
 * another origin is refused before a handler runs.
 */
export function isTrustedSender(sender: Sender): boolean {
  return sender.isMainFrame && isAppUrl(sender.url);
}

/** The links we hand to the system browser: web pages, nothing that launches a program. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol, username, password } = new URL(url);
    return (protocol === 'https:' || protocol === 'http:') && username === '' && password === '';
  } catch {
    return false;
  }
}

export type NavigationDecision = 'allow' | 'open-externally' | 'deny';

/**
 * The window only ever shows our pages. A link to the web (an article's
 * source URL, say) opens in the system browser; anything else (file://,
 * javascript:, data:, another custom scheme, a dropped file) goes nowhere.
 */
export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return 'allow';
  if (isExternalWebUrl(url)) return 'open-externally';
  return 'deny';
}

/**
 * Permissions the renderer is granted: writing text to the clipboard (Copy
 * citation, through navigator.clipboard) and nothing else (no camera,
 * geolocation, notifications, clipboard reads...).
 */
export function isPermissionGranted(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

/** The parts of Electron's WebFrameMain the sender check reads. */
export type FrameLike = { readonly url: string; readonly processId: number; readonly routingId: number };

/**
 * Describes an IPC sender for the router from Electron's `event.senderFrame`
 * (null once the frame has navigated away or gone) and the web contents'
 * main frame. A frame that cannot be read any more counts as an untrusted
 * sub-frame with no URL.
 */
export function describeSender(frame: FrameLike | null, mainFrame: FrameLike | null): Sender {
  try {
    if (!frame) return { isMainFrame: false, url: '' };
    const isMainFrame =
      mainFrame !== null &&
      (frame === mainFrame || (frame.processId === mainFrame.processId && frame.routingId === mainFrame.routingId));
    return { isMainFrame, url: String(frame.url) };
  } catch {
    // WebFrameMain throws when read after its frame was disposed.
    return { isMainFrame: false, url: '' };
  }
}
