import type { Response } from 'undici';

/** Where a client asks the API server who it is (Kubernetes 1.28 and later). */
export const SELF_SUBJECT_REVIEW_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

/** The body of the review: the server fills in its `status`. */
export const SELF_SUBJECT_REVIEW = JSON.stringify({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'SelfSubjectReview',
});

/** How long the review may take before the reader gives up on naming the user. */
const REVIEW_TIMEOUT_MS = 10_000;

/**
 * Asks the API server which user the credentials authenticate as, with a
 * `SelfSubjectReview`: the name that RBAC bindings must use, which the KubeConfig does not
 * know (its user entries have names of their own, `inClusterUser` for a service account).
 *
 * Resolves to the username, or `undefined` when the server cannot say: older than
 * Kubernetes 1.28, refused, unreachable, no answer within 10 s, or `signal` aborted. Never
 * rejects.
 *
 * @param post sends the review body as a POST to {@link SELF_SUBJECT_REVIEW_PATH}.
 * @param signal aborts the review, for example when the reader is unsubscribed.
 * @returns the authenticated username, if the server told it.
 */
export async function reviewSelf(
  post: (body: string, signal: AbortSignal) => Promise<Response>,
  signal: AbortSignal,
): Promise<string | undefined> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), REVIEW_TIMEOUT_MS);
  try {
    const response = await post(SELF_SUBJECT_REVIEW, AbortSignal.any([signal, timeout.signal]));
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const review = (await response.json()) as { status?: { userInfo?: { username?: unknown } } };
    const username = review.status?.userInfo?.username;
    return typeof username === 'string' && username !== '' ? username : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The user that a `403 Forbidden` message names, as the API server's authorizer words it
 * (`pods is forbidden: User "alice" cannot list resource ...`), if it does.
 */
export function forbiddenUser(message: string): string | undefined {
  return /\bUser "([^"]+)" cannot\b/.exec(message)?.[1];
}
