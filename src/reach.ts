// A URL derived from the load balancer may not be reachable from the runner at all (an internal
// ALB, a private hosted zone, an emulator's made-up DNS name). Checked once before anything
// changes, so an unreachable address is not mistaken for a failed deploy.
import type { HttpErrorKind, HttpHeaders, HttpProber } from './http.js'

/**
 * Undefined when `url` answers with any HTTP status (or fails in a way not listed in `kinds`);
 * otherwise why it could not be reached.
 */
export async function unreachableReason(
  http: HttpProber,
  url: string,
  options: { kinds?: HttpErrorKind[]; headers?: HttpHeaders } = {}
): Promise<string | undefined> {
  const r = await http({ url, headers: options.headers, timeoutMs: 5000 })
  if (r.status !== undefined) return undefined
  if (options.kinds && !options.kinds.includes(r.error ?? 'other')) return undefined
  return `${r.error ?? 'error'}${r.errorMessage ? `: ${r.errorMessage}` : ''}`
}

export function unreachableNotice(url: string, reason: string, inputName: string): string {
  return `${url} is not reachable from the runner (${reason}), so the smoke test and the traffic probe are skipped and the deploy relies on the load balancer's target health. Set '${inputName}' to an address the runner can reach to have them.`
}
