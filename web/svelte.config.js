import adapter from '@sveltejs/adapter-static';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    // The Express server serves build/ and falls back to index.html for unknown non-API paths.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html' }),
    typescript: {
      // tests/ runs in Node against the real server and imports server code:
      // the root tsconfig checks it with Node settings, not the browser app's.
      config: (tsconfig) => ({
        ...tsconfig,
        include: tsconfig.include.filter((pattern) => !pattern.startsWith('../tests/')),
      }),
    },
  },
};

export default config;
