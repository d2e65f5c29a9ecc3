import type { LoginRequest, LoginResponse, MeResponse, TenantSettings } from '@callboard/shared';
import { api } from './api.ts';
import { i18n } from './i18n.svelte.ts';

/** Who is signed in, to which workspace. The session itself is an httpOnly cookie. */
class Session {
  me = $state<MeResponse | null>(null);

  async load() {
    this.#signedIn(await api.get<MeResponse>('/api/auth/me'));
  }

  async login(credentials: LoginRequest) {
    // The answer's token is not kept: the cookie set with it authenticates every later call.
    const { user, tenant } = await api.post<LoginResponse>('/api/auth/login', credentials);
    this.#signedIn({ user, tenant });
  }

  async logout() {
    await api.post<void>('/api/auth/logout');
    this.me = null;
  }

  /** Keeps the header and formats in step when an admin edits the workspace. */
  applyTenant({ name, locale, timeZone }: TenantSettings) {
    if (!this.me) return;
    this.me.tenant = { ...this.me.tenant, name, locale, timeZone };
    i18n.useTenant(this.me.tenant);
  }

  #signedIn(me: MeResponse) {
    this.me = me;
    i18n.useTenant(me.tenant);
  }
}

export const session = new Session();
