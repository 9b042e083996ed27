/**
 * Account care's calls (issue 12), in the chunk loaded with the account forms: their schemas
 * stay out of the first screen's JavaScript.
 */
import * as z from 'zod/mini';
import {
  accountResponse,
  revokedResponse,
  sessionsResponse,
  type AccountInfo,
  type SessionInfo,
} from '../../shared/account';
import { ApiError, type Http } from '../api/http';

const ok = z.object({ ok: z.literal(true) });
const resetAnswer = z.object({ ok: z.literal(true), message: z.string() });

export function accountApi(http: Pick<Http, 'get' | 'send'>) {
  const post = <S extends z.ZodMiniType>(path: string, body: unknown, schema: S) =>
    http.send('POST', path, body, schema);
  return {
    info: (): Promise<AccountInfo> => http.get('/api/me/account', accountResponse),
    changePassword: (current: string, password: string) =>
      post('/api/me/password', { current, password }, revokedResponse),
    sessions: (): Promise<SessionInfo[]> =>
      http.get('/api/me/sessions', sessionsResponse).then((x) => x.sessions),
    revokeSession: (id: string) =>
      post(`/api/me/sessions/${encodeURIComponent(id)}/revoke`, {}, revokedResponse),
    revokeOthers: () => post('/api/me/sessions/revoke-others', {}, revokedResponse),
    setEmail: (email: string | null, password: string) =>
      http.send('PUT', '/api/me/email', { email, password }, accountResponse),
    resendVerification: () => post('/api/me/email/resend', {}, accountResponse),
    deleteAccount: (body: { password?: string; confirm?: true }) =>
      post('/api/me/delete', body, ok),
    verifyEmail: (token: string) => post('/api/auth/verify-email', { token }, accountResponse),
    requestReset: (email: string) => post('/api/auth/reset-request', { email }, resetAnswer),
    reset: (token: string, password: string) =>
      post('/api/auth/reset', { token, password }, z.object({ ok: z.literal(true) })),
  };
}

export type AccountApi = ReturnType<typeof accountApi>;

/** A failure as one sentence for the form. */
export function messageOf(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}

/**
 * A failure as a form shows it: under the field the server named when the form has it (one
 * of `fields`), else as one sentence for the whole form.
 */
export function errorsOf<F extends string>(
  err: unknown,
  fallback: string,
  fields: readonly F[],
): Partial<Record<F | 'form', string>> {
  const field = err instanceof ApiError ? err.field : undefined;
  const message = messageOf(err, fallback);
  const named = fields.find((f) => f === field);
  return (named ? { [named]: message } : { form: message }) as Partial<Record<F | 'form', string>>;
}
