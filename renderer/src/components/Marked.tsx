import type { Snippet } from '../../../electron/library/search/types';
import { markPieces } from '../lib/search';

/** Text with the words a search matched in <mark>; drawn as text, never as HTML. */
export function Marked({ text, ranges }: { text: string; ranges: readonly (readonly [number, number])[] | null | undefined }) {
  return (
    <>
      {markPieces(text, ranges).map((p, i) =>
        p.marked ? (
          <mark key={i} className="search-mark" data-testid="search-mark">
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </>
  );
}

/** A snippet with an ellipsis where text was cut before or after it. */
export function SnippetText({ snippet }: { snippet: Pick<Snippet, 'text' | 'ranges' | 'cutBefore' | 'cutAfter'> }) {
  return (
    <>
      {snippet.cutBefore && '…'}
      <Marked text={snippet.text} ranges={snippet.ranges} />
      {snippet.cutAfter && '…'}
    </>
  );
}
