import { isLibraryError } from '../library/errors';
import { isChannel, requests, type Channel, type Envelope, type IpcError, type ParsedRequest, type Response } from './contract';

/** Who sent a request, as the transport saw it. */
export type Sender = { isMainFrame: boolean; url: string };

export type Handlers = { [C in Channel]: (request: ParsedRequest<C>) => Promise<Response<C>> };

export type RouterOptions = {
  /** Whether a sender may talk to main at all (the app's own main frame, and nothing else). */
  trusted: (sender: Sender) => boolean;
  /** Unexpected failures are logged here and answered with a generic message. */
  log?: (message: string, error: unknown) => void;
};

export type Router = {
  dispatch(channel: unknown, payload: unknown, sender: Sender): Promise<Envelope<unknown>>;
};

/**
 * Transport-agnostic: ipcMain in the app and an HTTP loopback in tests call
 * the same `dispatch`. Refuses an untrusted sender, an unknown channel and a
 * payload that does not match the channel's schema before any handler runs.
 */
export function createRouter(handlers: Handlers, options: RouterOptions): Router {
  const fail = (error: IpcError): Envelope<never> => ({ ok: false, error });
  return {
    async dispatch(channel, payload, sender) {
      if (!options.trusted(sender)) {
        return fail({ code: 'forbidden-sender', message: `Requests from ${describe(sender)} are refused` });
      }
      if (!isChannel(channel)) {
        return fail({ code: 'unknown-channel', message: `Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}` });
      }
      const parsed = requests[channel].safeParse(payload);
      if (!parsed.success) {
        // Bounded: an issue can quote the payload (zod lists every unrecognised key), which may be huge.
        const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: clip(i.path.join('.'), 200) || '(payload)', message: clip(i.message, 300) }));
        const first = issues[0];
        return fail({
          code: 'invalid-payload',
          message: `Invalid request for ${channel}: ${first ? `${first.path}: ${first.message}` : 'malformed'}`,
          issues,
        });
      }
      try {
        const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.data) };
      } catch (e) {
        if (isLibraryError(e)) return fail({ code: e.code, message: e.message });
        options.log?.(`${channel} failed`, e);
        return fail({ code: 'internal', message: `${channel} failed unexpectedly; see the log for details` });
      }
    },
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describe(sender: Sender): string {
  return `${sender.isMainFrame ? 'frame' : 'sub-frame'} ${sender.url.slice(0, 100)}`;
}
