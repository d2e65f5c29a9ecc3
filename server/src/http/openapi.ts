import { z } from 'zod';
import { errorStatus } from '@callboard/shared';
import type { RouteDef } from './routes.ts';

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: Object.keys(errorStatus) },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: prop,
  }));
}

/** The OpenAPI 3.1 document of the API, generated from the route table and its shared zod schemas. */
export function openApiDocument(routes: RouteDef[], publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const ok = String(r.status ?? 200);
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary ?? `${r.method.toUpperCase()} ${path}`,
      'x-access': r.access,
      security: r.access === 'public' ? [] : [{ bearer: [] }, { cookie: [] }],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      responses: {
        [ok]: { description: 'success' },
        '204': r.method === 'delete' ? { description: 'done' } : undefined,
        default: { description: 'an error', content: { 'application/json': { schema: errorBody } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Callboard API', version: '1' },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a session token or an API key' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'cb_session', description: 'mutations also need X-Requested-With: callboard' },
      },
    },
    paths,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A plain readable page of the same document, with no external scripts. */
export function apiDocsPage(doc: ReturnType<typeof openApiDocument>) {
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const o = op as { summary: string; 'x-access': string; requestBody?: { content: Record<string, { schema: unknown }> } };
      const body = o.requestBody ? `<details><summary>body</summary><pre>${escapeHtml(JSON.stringify(o.requestBody.content['application/json']!.schema, null, 2))}</pre></details>` : '';
      return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(o['x-access'])}</td><td>${escapeHtml(o.summary)}${body}</td></tr>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Callboard API</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:72rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:start;vertical-align:top}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>Callboard API v1</h1><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>. Errors are <code>{"error":{"code","message","details?"}}</code>.</p>
<table><thead><tr><th>method</th><th>path</th><th>access</th><th>what</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}
