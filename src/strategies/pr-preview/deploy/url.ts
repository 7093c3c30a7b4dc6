// The preview's URL: the `url` input with `{pr}` and `{port}` filled in, or derived: `pr-<n>.<domain>` in
// host mode, `<alb-dns>:<port>` in port mode. In host mode a URL whose host is not the preview's own
// (the ALB's DNS name, a tunnel) gets the preview's Host header, so the rule still matches.

export interface UrlParams {
  input: string | undefined
  pr: number
  /** Listener port the preview is reached on. */
  port: number
  /** HTTP or HTTPS, from the listener. */
  protocol: string | undefined
  host: string | undefined
  albDnsName: string | undefined
}

export interface PreviewUrl {
  url: string
  hostHeader: string | undefined
}

export function previewUrl(p: UrlParams): PreviewUrl {
  const scheme = p.protocol === 'HTTPS' ? 'https' : 'http'
  const defaultPort = scheme === 'https' ? 443 : 80
  const portSuffix = p.port === defaultPort ? '' : `:${p.port}`
  const url = p.input
    ? p.input.replaceAll('{pr}', String(p.pr)).replaceAll('{port}', String(p.port))
    : p.host
      ? `${scheme}://${p.host}${portSuffix}`
      : `${scheme}://${p.albDnsName ?? 'localhost'}${portSuffix}`
  let hostHeader: string | undefined
  if (p.host) {
    try {
      if (new URL(url).hostname.toLowerCase() !== p.host.toLowerCase()) hostHeader = p.host
    } catch {
      hostHeader = p.host
    }
  }
  return { url: url.replace(/\/+$/, ''), hostHeader }
}
