/** The network layer: pages, their images and feeds, fetched with limits. Plain Node (global fetch). */
export { FeedError, FetchError, isFetchError, type FetchErrorCode } from './errors';
export { DEFAULT_TIMEOUT_MS, MAX_PAGE_BYTES, MAX_REDIRECTS, USER_AGENT, fetchArticle, fetchResource, type FetchOptions, type FetchedResource } from './fetch-page';
export { LOCAL_IMAGE_SRC, MAX_IMAGE_BYTES, MAX_IMAGES, localiseImages, sniffImage, type ImageFailure, type LocalImageFile, type LocaliseOptions, type LocalisedImages } from './images';
export { fetchFeed, parseFeed, type FeedItem, type ParsedFeed } from './feeds';
