import { MediaQuery } from 'svelte/reactivity';

type Theme = 'light' | 'dark';
const STORAGE_KEY = 'callboard.theme';

/** Light or dark: the user's choice once made, the system's preference until then. */
class ThemeStore {
  #chosen = $state<Theme | null>(null);
  #systemDark = new MediaQuery('(prefers-color-scheme: dark)');

  readonly current: Theme = $derived(this.#chosen ?? (this.#systemDark.current ? 'dark' : 'light'));

  constructor() {
    const stored = localStorage.getItem(STORAGE_KEY);
    this.#chosen = stored === 'light' || stored === 'dark' ? stored : null;
  }

  toggle() {
    this.#chosen = this.current === 'dark' ? 'light' : 'dark';
    localStorage.setItem(STORAGE_KEY, this.#chosen);
  }
}

export const theme = new ThemeStore();
