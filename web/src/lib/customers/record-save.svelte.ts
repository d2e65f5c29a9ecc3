import { ApiError } from '$lib/api.ts';
import { errorMessage, fieldError } from '$lib/error-message.ts';
import { t } from '$lib/i18n.svelte.ts';
import { problemText } from './format.ts';

/**
 * One save of a ticket or booking from an inline form or a status button: its
 * progress, the API's problems by field (`subject` on creation, `set.subject` on
 * an edit), and a 409, after which the row shows the record as it is now.
 */
export class RecordSave<T> {
  pending = $state(false);
  failure = $state<unknown>(null);
  conflicted = $state(false);

  constructor(
    private readonly prefix: () => string,
    private readonly fields: readonly string[],
  ) {}

  fieldProblem(field: string): string | undefined {
    const detail = fieldError(this.failure, `${this.prefix()}${field}`);
    return detail ? problemText(detail) : undefined;
  }

  /** What went wrong that no field of the form shows. */
  get problem(): string | null {
    if (this.conflicted) return t('customers.recordConflict');
    if (this.failure === null || this.fields.some((field) => this.fieldProblem(field))) return null;
    const detail = this.failure instanceof ApiError ? this.failure.details[0]?.message : undefined;
    return detail ? `${errorMessage(this.failure)} ${problemText(detail)}` : errorMessage(this.failure);
  }

  /** Runs `send` (null: nothing to send); the answer goes to `onsaved`, then `ondone`. */
  async run(onsaved: (record: T) => void, ondone: () => void, send: () => Promise<T> | null) {
    this.pending = true;
    this.failure = null;
    this.conflicted = false;
    try {
      const answer = send();
      if (answer) onsaved(await answer);
      ondone();
    } catch (error) {
      // Someone changed it meanwhile: the row shows their values, and saving again keeps these.
      if (error instanceof ApiError && error.code === 'conflict' && error.current) {
        onsaved(error.current as T);
        this.conflicted = true;
      } else {
        this.failure = error;
      }
    } finally {
      this.pending = false;
    }
  }
}
