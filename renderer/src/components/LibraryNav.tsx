import type { Ref } from 'react';
import { MOD } from '../lib/format';
import { ClipIcon, QuoteIcon, SearchIcon } from './icons';

type Props = {
  clippingsOn: boolean;
  /** Clippings in the library (null while it opens). */
  clippingCount: number | null;
  onSearch: () => void;
  onClippings: () => void;
  clippingsRef?: Ref<HTMLButtonElement>;
  reviewsOn: boolean;
  onReviews: () => void;
  reviewsRef?: Ref<HTMLButtonElement>;
};

/** The left pane's first entries: the search palette (Ctrl+K), and the clippings view and press reviews in place of the reader. */
export function LibraryNav({ clippingsOn, clippingCount, onSearch, onClippings, clippingsRef, reviewsOn, onReviews, reviewsRef }: Props) {
  return (
    <div className="library-nav" role="group" aria-label="Find">
      <button
        type="button"
        className="nav-entry"
        title={`Search articles and clippings (${MOD}+K)`}
        aria-keyshortcuts="Control+K"
        aria-haspopup="dialog"
        data-testid="search-button"
        onClick={onSearch}
      >
        <SearchIcon />
        <span className="nav-entry-name">Search</span>
        <span className="nav-entry-keys" aria-hidden="true">
          <kbd>{MOD}</kbd>
          <kbd>K</kbd>
        </span>
      </button>
      <button
        ref={clippingsRef}
        type="button"
        className={`nav-entry${clippingsOn ? ' is-on' : ''}`}
        aria-pressed={clippingsOn}
        data-testid="clippings-entry"
        title="Every clipping in the library, filtered and searched; select some to tag or export them"
        onClick={onClippings}
      >
        <ClipIcon size={16} />
        <span className="nav-entry-name">All clippings</span>
        {clippingCount !== null && <span className="nav-entry-count">{clippingCount.toLocaleString()}</span>}
      </button>
      <button
        ref={reviewsRef}
        type="button"
        className={`nav-entry${reviewsOn ? ' is-on' : ''}`}
        aria-pressed={reviewsOn}
        data-testid="reviews-entry"
        title="Press reviews: clippings from many articles in your order, with headings and an introduction, exported as a clip book"
        onClick={onReviews}
      >
        <QuoteIcon />
        <span className="nav-entry-name">Press reviews</span>
      </button>
    </div>
  );
}
