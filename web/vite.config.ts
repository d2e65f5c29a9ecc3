import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const server = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // In development the dashboard and the API still share one origin, as in production.
    proxy: {
      '/api': server,
      '/webhooks': server,
      '/healthz': server,
      '/socket.io': { target: server, ws: true },
    },
  },
});
