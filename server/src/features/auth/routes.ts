import { changeOwnPasswordRequest, loginRequest } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { SESSION_COOKIE } from '../../http/cookies.ts';
import { route } from '../../http/routes.ts';
import { SESSION_TTL_SEC, type AuthService } from './service.ts';

export function authRoutes(ctx: AppContext, auth: AuthService) {
  const secure = ctx.config.publicUrl.startsWith('https:');
  return [
    route({
      method: 'post',
      path: '/auth/login',
      access: 'public',
      body: loginRequest,
      summary: 'Sign in; answers a token and sets an httpOnly session cookie',
      handle: async ({ body, req, res }) => {
        const answer = await auth.login(body.email, body.password, req.ip ?? 'unknown');
        res.cookie(SESSION_COOKIE, answer.token, {
          httpOnly: true,
          sameSite: 'lax',
          secure,
          path: '/',
          maxAge: SESSION_TTL_SEC * 1000,
        });
        return answer;
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      access: 'agent',
      summary: 'Who is signed in, and their tenant',
      handle: ({ auth: who }) => auth.me(who),
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      access: 'agent',
      summary: 'End this session on every node',
      handle: async ({ auth: who, res }) => {
        await auth.logout(who);
        res.clearCookie(SESSION_COOKIE, { path: '/' });
      },
    }),
    route({
      method: 'post',
      path: '/auth/password',
      access: 'agent',
      body: changeOwnPasswordRequest,
      summary: 'Change your own password; your other sessions end',
      handle: ({ auth: who, body }) => auth.changePassword(who, body.current, body.password),
    }),
  ];
}
