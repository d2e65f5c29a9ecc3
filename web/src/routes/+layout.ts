// A single-page app: the Express server hands out build/index.html and the API on one origin.
export const ssr = false;
export const prerender = false;
