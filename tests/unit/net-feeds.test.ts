/**
 * parseFeed over RSS 2.0, RSS 1.0 and Atom documents written here, and
 * fetchFeed against a real HTTP server on 127.0.0.1 started here. No outside
 * network.
 */
import { describe, expect, it } from 'vitest';
import { localWeb, type Route as Handler } from './helpers/http';
import { FeedError, FetchError } from '../../electron/library/net/errors';
import { fetchFeed, parseFeed } from '../../electron/library/net/feeds';


const RSS2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dcterms="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Harbour News &amp; Views &#8212; Caf&#233;</title>
    <link>/</link>
    <description>Local news</description>
    <item>
      <title>Ferries &amp;rsquo;back&amp;rsquo; on Monday</title>
      <link>/2024/12/ferries.html</link>
      <guid isPermaLink="false">harbour-1234</guid>
      <pubDate>Mon, 09 Dec 2024 08:30:00 +0100</pubDate>
      <description><![CDATA[<p>Ferries &amp; freight <b>resume</b> — <a href="/x">more</a></p>]]></description>
    </item>
    <item>
      <title><![CDATA[Council votes <budget> & bridge]]></title>
      <guid>https://harbour.example/2024/12/council.html</guid>
      <dcterms:date>2024-12-08T18:00:00Z</dcterms:date>
      <content:encoded><![CDATA[<p>The council voted.</p>]]></content:encoded>
    </item>
    <item>
      <title>Escaped summary</title>
      <link>https://other.example/story?id=1&amp;ref=rss</link>
      <description>&lt;p&gt;Tom &amp;amp; Jerry&lt;/p&gt;</description>
    </item>
    <item>
      <title>Not an article</title>
      <link>javascript:alert(1)</link>
    </item>
    <item>
      <title>Duplicate of the first</title>
      <link>/2024/12/ferries-again.html</link>
      <guid isPermaLink="false">harbour-1234</guid>
    </item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/news/">
  <title type="html">Wire &lt;em&gt;Desk&lt;/em&gt; &amp;amp; Co</title>
  <link rel="self" href="atom.xml"/>
  <link rel="alternate" type="text/html" href="./"/>
  <id>tag:wire.example,2024:feed</id>
  <updated>2024-12-09T10:00:00Z</updated>
  <entry>
    <title>Summit ends &#x2014; no deal</title>
    <link rel="alternate" href="2024/summit.html"/>
    <link rel="enclosure" href="summit.mp3"/>
    <id>tag:wire.example,2024:summit</id>
    <published>2024-12-09T09:15:00+02:00</published>
    <updated>2024-12-09T11:00:00+02:00</updated>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Leaders left <b>without</b> a deal &amp; a date.</p></div></summary>
  </entry>
  <entry xml:base="https://mirror.example/wire/">
    <title type="text">Markets &lt;up&gt;</title>
    <link href="markets.html"/>
    <id>tag:wire.example,2024:markets</id>
    <updated>2024-12-08T16:00:00Z</updated>
    <content type="html"><![CDATA[<p>Shares rose &amp; fell.</p>]]></content>
  </entry>
  <entry>
    <title>Only an id</title>
    <id>https://wire.example/only-id</id>
    <summary>Plain &lt;text&gt; summary</summary>
  </entry>
</feed>`;

const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://slow.example/">
    <title>Slow News</title>
    <link>https://slow.example/</link>
    <description>Weekly</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://slow.example/a"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://slow.example/a">
    <title>Week in review</title>
    <link>https://slow.example/a</link>
    <dc:date>2024-12-06</dc:date>
    <description>A quiet week.</description>
  </item>
  <item rdf:about="https://slow.example/b">
    <title>Letters</title>
    <link>b</link>
  </item>
</rdf:RDF>`;

const LATIN1_RSS = Buffer.from(
  `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Journal de Genève</title><link>https://ge.example/</link>` +
    `<item><title>Élections à Genève</title><link>https://ge.example/e</link></item></channel></rss>`,
  'latin1',
);

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol; &amp; more</title><link>https://x.example/1</link></item></channel></rss>`;

/** Quadratic blow-up: one large entity referenced many times. */
const QUADRATIC = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY big "${'A'.repeat(50_000)}">]>
<rss version="2.0"><channel><title>${'&big;'.repeat(20_000)}</title></channel></rss>`;

const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title></channel></rss>`;

const HTML_PAGE = `<!DOCTYPE html><html><head><title>Harbour News</title>
<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body><p>Welcome<br></body></html>`;

const send = (type: string | null, body: string | Uint8Array, status = 200): Handler => (_req, res) => {
  res.writeHead(status, type ? { 'content-type': type } : {});
  res.end(body);
};

const ROUTES: Record<string, Handler> = {
  '/feeds/rss.xml': send('application/rss+xml; charset=utf-8', RSS2),
  '/feeds/atom.xml': send('application/atom+xml', ATOM),
  '/feeds/rdf.xml': send('application/rdf+xml', RDF),
  '/feeds/latin1.xml': send('text/xml', LATIN1_RSS),
  '/feeds/old-address': (_req, res) => {
    res.writeHead(301, { location: '/moved/here/atom.xml' });
    res.end();
  },
  '/moved/here/atom.xml': send('application/atom+xml', ATOM.replace(' xml:base="/news/"', '')),
  '/feeds/page.html': send('text/html', HTML_PAGE),
  '/feeds/broken.xml': send('application/rss+xml', '<rss version="2.0"><channel><title>Oops</channel></rss>'),
  '/feeds/missing.xml': send('text/plain', 'no', 404),
};

const web = localWeb(ROUTES);

describe('parseFeed', () => {
  it('reads RSS 2.0: entities, CDATA, relative links, guids, dates, and skips unusable or repeated items', () => {
    const feed = parseFeed(RSS2, 'https://harbour.example/feeds/rss.xml');
    expect(feed.title).toBe('Harbour News & Views — Café');
    expect(feed.siteUrl).toBe('https://harbour.example/');
    expect(feed.items).toEqual([
      {
        id: 'harbour-1234',
        url: 'https://harbour.example/2024/12/ferries.html',
        title: 'Ferries ’back’ on Monday',
        published: '2024-12-09T07:30:00.000Z',
        summaryHtml: '<p>Ferries &amp; freight <b>resume</b> — <a href="/x">more</a></p>',
      },
      {
        id: 'https://harbour.example/2024/12/council.html',
        url: 'https://harbour.example/2024/12/council.html',
        title: 'Council votes & bridge',
        published: '2024-12-08T18:00:00Z',
        summaryHtml: '<p>The council voted.</p>',
      },
      {
        id: 'https://other.example/story?id=1&ref=rss',
        url: 'https://other.example/story?id=1&ref=rss',
        title: 'Escaped summary',
        published: null,
        summaryHtml: '<p>Tom &amp; Jerry</p>',
      },
    ]);
  });

  it('reads Atom 1.0: xml:base, alternate links, text/html/xhtml constructs, published before updated', () => {
    const feed = parseFeed(ATOM, 'https://wire.example/feeds/atom.xml');
    expect(feed.title).toBe('Wire Desk & Co');
    expect(feed.siteUrl).toBe('https://wire.example/news/');
    expect(feed.items).toEqual([
      {
        id: 'tag:wire.example,2024:summit',
        url: 'https://wire.example/news/2024/summit.html',
        title: 'Summit ends — no deal',
        published: '2024-12-09T09:15:00+02:00',
        summaryHtml: '<p>Leaders left <b>without</b> a deal &amp; a date.</p>',
      },
      {
        id: 'tag:wire.example,2024:markets',
        url: 'https://mirror.example/wire/markets.html',
        title: 'Markets <up>',
        published: '2024-12-08T16:00:00Z',
        summaryHtml: '<p>Shares rose &amp; fell.</p>',
      },
      {
        id: 'https://wire.example/only-id',
        url: 'https://wire.example/only-id',
        title: 'Only an id',
        published: null,
        summaryHtml: 'Plain &lt;text&gt; summary',
      },
    ]);
  });

  it('reads RSS 1.0 (RDF): items beside the channel, rdf:about as id, dc:date', () => {
    const feed = parseFeed(RDF, 'https://slow.example/index.rdf');
    expect(feed).toEqual({
      title: 'Slow News',
      siteUrl: 'https://slow.example/',
      items: [
        { id: 'https://slow.example/a', url: 'https://slow.example/a', title: 'Week in review', published: '2024-12-06', summaryHtml: 'A quiet week.' },
        { id: 'https://slow.example/b', url: 'https://slow.example/b', title: 'Letters', published: null },
      ],
    });
  });

  it('expands no entity a DOCTYPE declares, so a billion-laughs feed stays small', () => {
    const before = process.memoryUsage().heapUsed;
    const feed = parseFeed(BILLION_LAUGHS, 'https://x.example/feed');
    expect(feed.title).toBe('&lol9;');
    expect(feed.items[0]?.title).toBe('&lol; & more');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('does not expand a large entity referenced many times', () => {
    const feed = parseFeed(QUADRATIC, 'https://x.example/feed');
    expect(feed.title.length).toBe('&big;'.length * 20_000);
  });

  const notFeeds: [string, string, RegExp][] = [
    ['an empty document', '   ', /the document is empty/],
    ['plain text', 'Just some words, no markup.', /not well-formed XML/],
    ['an HTML page', HTML_PAGE, /it is a web page \(HTML\)/],
    ['an XHTML page', '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body/></html>', /it is a web page/],
    ['malformed XML', '<rss version="2.0"><channel><title>Oops</channel></rss>', /not well-formed XML \(line 1: .*\)/],
    ['XML that is neither RSS nor Atom', '<note><to>Ed</to></note>', /root element is <note>, not <rss>, <rdf:RDF> or <feed>/],
    ['an Atom-named root in another namespace', '<feed xmlns="urn:other"><entry/></feed>', /root element is <feed>/],
    ['an <rss> with no channel', '<rss version="2.0"><item/></rss>', /no <channel>/],
    ['a DOCTYPE declaring an external entity', EXTERNAL_ENTITY, /could not be read as XML \(External entities are not supported\)/],
  ];
  it.each(notFeeds)('refuses %s as not-a-feed, naming the URL', (_what, xml, reason) => {
    let error: unknown;
    try {
      parseFeed(xml, 'https://x.example/feed.xml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toBeInstanceOf(FetchError);
    const e = error as FeedError;
    expect(e.code).toBe('not-a-feed');
    expect(e.message.startsWith('https://x.example/feed.xml is not an RSS or Atom feed: ')).toBe(true);
    expect(e.message).toMatch(reason);
  });
});

describe('fetchFeed', () => {
  const feeds: [string, string, string, string][] = [
    ['RSS 2.0', '/feeds/rss.xml', 'Harbour News & Views — Café', '/2024/12/ferries.html'],
    ['Atom', '/feeds/atom.xml', 'Wire Desk & Co', '/news/2024/summit.html'],
  ];
  it.each(feeds)('fetches an %s feed and resolves its relative links against the feed address', async (_kind, path, title, firstPath) => {
    const feed = await fetchFeed(`${web.origin}${path}`);
    expect(feed.title).toBe(title);
    expect(feed.finalUrl).toBe(`${web.origin}${path}`);
    expect(feed.items[0]?.url).toBe(`${web.origin}${firstPath}`);
  });

  it('fetches an RSS 1.0 feed', async () => {
    const feed = await fetchFeed(`${web.origin}/feeds/rdf.xml`);
    expect(feed.items.map((i) => i.title)).toEqual(['Week in review', 'Letters']);
  });

  it('resolves relative links against the address a redirect led to', async () => {
    const feed = await fetchFeed(`${web.origin}/feeds/old-address`);
    expect(feed.finalUrl).toBe(`${web.origin}/moved/here/atom.xml`);
    expect(feed.items[0]?.url).toBe(`${web.origin}/moved/here/2024/summit.html`);
  });

  it('decodes by the XML declaration when the server names no charset', async () => {
    const feed = await fetchFeed(`${web.origin}/feeds/latin1.xml`);
    expect(feed.title).toBe('Journal de Genève');
    expect(feed.items[0]?.title).toBe('Élections à Genève');
  });

  const refused: [string, string, string, string][] = [
    ['a "feed" that is a web page', '/feeds/page.html', 'not-a-feed', 'is not an RSS or Atom feed: it is a web page (HTML)'],
    ['a malformed feed', '/feeds/broken.xml', 'not-a-feed', 'is not an RSS or Atom feed: it is not well-formed XML'],
    ['a missing feed', '/feeds/missing.xml', 'http-status', 'the server answered 404 Not Found'],
  ];
  it.each(refused)('refuses %s, naming the URL', async (_what, path, code, reason) => {
    let error: unknown;
    try {
      await fetchFeed(`${web.origin}${path}`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).code).toBe(code);
    expect((error as FetchError).message).toContain(`${web.origin}${path}`);
    expect((error as FetchError).message).toContain(reason);
  });
});
