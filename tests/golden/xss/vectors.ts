/**
 * XSS vectors written for the hostile-content test (tests/e2e/hostile.chromium.spec.ts).
 * Each payload calls window.__probe(name) if it ever runs, and each remote
 * reference points at probe.invalid, which nothing may request. They sit
 * inside ordinary paragraphs long enough for Readability to keep the article.
 */

const FILLER =
  'Officials met again on Thursday in the old conference hall by the lake, and delegates said the talks on water rights, ' +
  'border crossings and the exchange of prisoners had moved forward slowly but steadily, with a joint statement expected soon.';

function page(title: string, payloads: string[], head = ''): string {
  const body = payloads.map((p, i) => `<p>${FILLER} Paragraph ${i + 1}. ${p} ${FILLER}</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body><article><h1>${title}</h1>${body}</article></body></html>`;
}

/** The payloads, by family. */
const HANDLERS = [
  `<img src="x" onerror="__probe('img-onerror')">`,
  `<span onmouseover="__probe('onmouseover')" onclick="__probe('onclick')">hover me</span>`,
  `<svg onload="__probe('svg-onload')"><circle r="4"/></svg>`,
  `<body onload="__probe('body-onload')">`,
  `<details open ontoggle="__probe('ontoggle')"><summary>s</summary>d</details>`,
  `<img src=x onerror=&#x5f;&#x5f;probe('entity-encoded')>`,
  `<a href="#" onfocus="__probe('autofocus')" autofocus>focus</a>`,
  `<video><source onerror="__probe('source-onerror')"></video>`,
];
const URLS = [
  `<a href="javascript:__probe('a-javascript')">a javascript link</a>`,
  `<a href="  JaVaScRiPt:__probe('a-mixed-case')">mixed case</a>`,
  `<a href="java&#x09;script:__probe('a-tab')">tab in scheme</a>`,
  `<a href="data:text/html,&lt;script&gt;__probe('a-data')&lt;/script&gt;">data link</a>`,
  `<img src="data:image/svg+xml,&lt;svg xmlns='http://www.w3.org/2000/svg' onload='__probe(1)'/&gt;">`,
  `<iframe src="javascript:__probe('iframe-js')"></iframe>`,
  `<form action="javascript:__probe('form-action')"><button>send</button></form>`,
  `<object data="javascript:__probe('object')"></object><embed src="javascript:__probe('embed')">`,
  `<img src="http://probe.invalid/remote.png" alt="a remote picture">`,
  `<img srcset="http://probe.invalid/srcset.png 2x" src="x.png">`,
  `<video poster="http://probe.invalid/poster.png"></video>`,
];
const SVG = [
  `<svg><script>__probe('svg-script')</script></svg>`,
  `<svg><a xlink:href="javascript:__probe('svg-xlink')"><text y="10">x</text></a></svg>`,
  `<svg><animate onbegin="__probe('svg-animate')" attributeName="x" dur="1s"/></svg>`,
  `<svg><foreignObject><iframe srcdoc="&lt;script&gt;parent.__probe('svg-foreign')&lt;/script&gt;"></iframe></foreignObject></svg>`,
];
const FRAMES = [
  `<iframe srcdoc="&lt;script&gt;parent.__probe('srcdoc')&lt;/script&gt;"></iframe>`,
  `<iframe src="http://probe.invalid/frame.html"></iframe>`,
  `<frameset onload="__probe('frameset')"></frameset>`,
];
const CSS = [
  `<style>@import url(http://probe.invalid/import.css); p { background: url(http://probe.invalid/bg.png) }</style>`,
  `<span style="background-image: url(http://probe.invalid/inline.png)">styled</span>`,
  `<span style="width: expression(__probe('css-expression'))">old IE</span>`,
  `<link rel="stylesheet" href="http://probe.invalid/linked.css">`,
];
const TRICKS = [
  `<template><img src=x onerror="__probe('template')"></template>`,
  `<noscript><p title="</noscript><img src=x onerror=__probe('noscript')>"></p></noscript>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=__probe('mxss-math')></style></mglyph></table></mtext></math>`,
  `<svg></p><style><a id="</style><img src=1 onerror=__probe('mxss-svg')>">`,
  `<div><![CDATA[<img src=x onerror=__probe('cdata')>]]></div>`,
  `<!--<img src="--><img src=x onerror=__probe('comment')//">`,
  `<base href="http://probe.invalid/"><img src="relative.png">`,
  `<scr<script>ipt>__probe('nested-script')</scr</script>ipt>`,
  `<script>__probe('plain-script')</script>`,
  `<script src="http://probe.invalid/remote.js"></script>`,
  `<textarea><img src=x onerror=__probe('textarea')></textarea>`,
  `<input autofocus onfocus="__probe('input-autofocus')">`,
  `<marquee onstart="__probe('marquee')">m</marquee>`,
];

export type Vector = { name: string; content: string };

export const VECTORS: Vector[] = [
  { name: 'handlers.html', content: page('Event handlers', HANDLERS) },
  { name: 'urls.html', content: page('Dangerous URLs', URLS) },
  { name: 'svg.html', content: page('SVG with script', SVG) },
  { name: 'frames.html', content: page('Frames and srcdoc', FRAMES) },
  { name: 'css.html', content: page('CSS url and import', CSS, `<style>@import 'http://probe.invalid/head.css';</style>`) },
  { name: 'tricks.htm', content: page('Templates, noscript and parser tricks', TRICKS) },
  {
    name: 'refresh.html',
    content: page('Meta refresh', [`A page that tries to leave.`], `<meta http-equiv="refresh" content="0;url=javascript:__probe('meta-refresh')"><meta http-equiv="refresh" content="1;url=http://probe.invalid/away">`),
  },
  {
    name: 'raw-html.md',
    content: [
      '---',
      'title: "Markdown with raw HTML <img src=x onerror=__probe(\'md-title\')>"',
      '---',
      '',
      `${FILLER}`,
      '',
      `<script>__probe('md-script')</script>`,
      '',
      `<img src="x" onerror="__probe('md-img')"> and <a href="javascript:__probe('md-a')">a link</a>`,
      '',
      `[a Markdown link](javascript:__probe('md-link')) and ![a picture](http://probe.invalid/md.png)`,
      '',
      `<iframe srcdoc="<script>parent.__probe('md-iframe')</script>"></iframe>`,
      '',
      `<style>@import url(http://probe.invalid/md.css);</style>`,
      '',
      `> ${FILLER} <svg onload="__probe('md-svg')"></svg>`,
    ].join('\n'),
  },
  {
    name: 'markup-in-text.txt',
    content: `Plain text that looks like markup\n\n<script>__probe('txt-script')</script> ${FILLER}\n\n<img src=x onerror="__probe('txt-img')"> ${FILLER}\n`,
  },
];

/** Notes and tags are typed by the user (or imported from someone else's export): shown, never run. */
export const HOSTILE_NOTES = [
  `<img src=x onerror="__probe('note-img')">`,
  `**bold** <script>__probe('note-script')</script> [link](javascript:__probe('note-link'))`,
  `<a href="javascript:__probe('note-a')">click</a> <iframe src="http://probe.invalid/note"></iframe>`,
];
export const HOSTILE_TAGS = [`<b onmouseover=__probe('tag-b')>bold</b>`, `x" onmouseover="__probe('tag-attr')`, `javascript:__probe('tag-js')`];
