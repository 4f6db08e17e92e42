import { useMemo, useState } from 'react';
import type { ArticleSummary } from '../../../electron/library/model';
import { MOD, formatDate, plural } from '../lib/format';
import { ClipIcon, FeedIcon, ImportIcon, LinkIcon, SearchIcon } from './icons';

type Props = {
  articles: ArticleSummary[] | null;
  currentId: string | null;
  importing: boolean;
  onOpen: (id: string) => void;
  onImport: () => void;
  onImportUrl: () => void;
  onFeeds: () => void;
};

export function ArticleList({ articles, currentId, importing, onOpen, onImport, onImportUrl, onFeeds }: Props) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!articles || !q) return articles ?? [];
    return articles.filter((a) =>
      [a.title, a.source ?? '', a.dateline ?? '', ...a.tags].some((field) => field.toLowerCase().includes(q)),
    );
  }, [articles, filter]);

  return (
    <nav className="library" aria-label="Articles">
      <header className="library-head">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <ClipIcon size={16} />
          </span>
          Cuttings
        </div>
        <div className="import-group" role="group" aria-label="Import">
          <button
            type="button"
            className="btn btn-quiet"
            aria-label="Import articles from files"
            title={`Import articles from files or folders (${MOD}+O)`}
            aria-keyshortcuts="Control+O"
            aria-busy={importing || undefined}
            onClick={onImport}
          >
            <ImportIcon />
            <span>Import…</span>
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Import from URL"
            title={`Import a web page from its URL (${MOD}+L)`}
            aria-keyshortcuts="Control+L"
            onClick={onImportUrl}
          >
            <LinkIcon />
          </button>
          <button type="button" className="icon-btn" aria-label="Feeds" title="Feeds: subscribe to news sites and import their new articles" onClick={onFeeds}>
            <FeedIcon />
          </button>
        </div>
      </header>
      <div className="library-filter">
        <SearchIcon />
        <input
          type="search"
          aria-label="Filter articles"
          placeholder="Filter by title, source or tag"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      {articles === null ? (
        <p className="library-empty">Opening the library…</p>
      ) : articles.length === 0 ? (
        <p className="library-empty">No articles yet. Use Import…, paste a link, or drop files here.</p>
      ) : shown.length === 0 ? (
        <p className="library-empty">No article matches “{filter.trim()}”.</p>
      ) : (
        <ul className="article-list">
          {shown.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                data-testid="article-item"
                data-article-id={a.id}
                className={`article-item${a.id === currentId ? ' is-current' : ''}`}
                aria-current={a.id === currentId ? 'true' : undefined}
                onClick={() => onOpen(a.id)}
              >
                <span className="article-item-title">{a.title}</span>
                <span className="article-item-meta">
                  {[a.source, formatDate(a.published, 'short')].filter(Boolean).join(' · ') || 'Unknown source'}
                </span>
                <span className="article-item-foot">
                  <span className="article-item-tags">
                    {a.tags.map((t) => (
                      <span className="chip chip-small" data-testid="tag-chip" key={t}>
                        {t}
                      </span>
                    ))}
                  </span>
                  <span
                    className={`count${a.clippingCount === 0 ? ' is-zero' : ''}`}
                    title={plural(a.clippingCount, 'clipping')}
                  >
                    <ClipIcon size={12} />
                    <span data-testid="clipping-count">{a.clippingCount}</span>
                    <span className="sr-only">{a.clippingCount === 1 ? ' clipping' : ' clippings'}</span>
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {articles && articles.length > 0 && (
        <p className="library-foot">{plural(articles.length, 'article')}</p>
      )}
    </nav>
  );
}
