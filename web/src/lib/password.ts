import { passwordSchema } from '@callboard/shared';

/** The shortest password the API accepts, read from the shared schema so the form and server agree. */
export const passwordMinLength = passwordSchema.out.minLength ?? 0;
