import type { createUserRequest, Page, patchUserRequest, User } from '@callboard/shared';
import type { z } from 'zod';
import { api } from '$lib/api.ts';

type NewUser = z.input<typeof createUserRequest>;
type UserChanges = z.input<typeof patchUserRequest>['set'];

/** The workspace's users, newest first, patched one record at a time by answers and live events. */
export class UsersStore {
  items = $state<User[]>([]);
  nextCursor = $state<string | null>(null);
  loaded = $state(false);

  async load() {
    const page = await api.get<Page<User>>('/api/users?limit=100');
    this.items = page.items;
    this.nextCursor = page.nextCursor;
    this.loaded = true;
  }

  async loadMore() {
    if (!this.nextCursor) return;
    const page = await api.get<Page<User>>(`/api/users?limit=100&cursor=${encodeURIComponent(this.nextCursor)}`);
    // A user created since the first page was read is already on top; do not list it twice.
    this.items.push(...page.items.filter((u) => !this.items.some((known) => known.id === u.id)));
    this.nextCursor = page.nextCursor;
  }

  async create(user: NewUser) {
    return this.upsert(await api.post<User>('/api/users', user));
  }

  async change(user: User, set: UserChanges) {
    return this.upsert(await api.patch<User>(`/api/users/${user.id}`, { version: user.version, set }));
  }

  async resetPassword(user: User, password: string) {
    await api.post<unknown>(`/api/users/${user.id}/password`, { password });
  }

  /** Takes a user from an answer or an event; an older version than the one shown is ignored. */
  upsert(user: User): User {
    const index = this.items.findIndex((u) => u.id === user.id);
    const known = this.items[index];
    if (!known) this.items.unshift(user);
    else if (user.version >= known.version) this.items[index] = user;
    return user;
  }
}
