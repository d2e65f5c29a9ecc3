import { byIdParams, voiceSessionListQuery } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { VoiceSessionService } from './service.ts';

export function voiceSessionRoutes(ctx: AppContext) {
  const sessions = new VoiceSessionService(ctx);
  return [
    route({
      method: 'get',
      path: '/voice-sessions',
      access: 'agent',
      query: voiceSessionListQuery,
      summary: 'AI voice sessions, newest first, without transcripts',
      handle: ({ auth, query }) => sessions.list(auth.tenantId, query, query),
    }),
    route({
      method: 'get',
      path: '/voice-sessions/:id',
      access: 'agent',
      params: byIdParams,
      summary: 'One voice session with its transcript',
      handle: ({ auth, params }) => sessions.get(auth.tenantId, params.id),
    }),
  ];
}
