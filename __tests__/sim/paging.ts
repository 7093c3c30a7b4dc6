// Paging as the query APIs answer it: ELBv2 with a Marker, ECS and Auto Scaling with a NextToken. The
// simulation's marker or token is the index of the next item.
export function page<T>(
  items: T[],
  marker: string | undefined,
  pageSize: number | undefined
): { items: T[]; next?: string } {
  return tokenPage(items, marker, pageSize ?? 400)
}

export function tokenPage<T>(
  items: T[],
  token: string | undefined,
  size: number
): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0
  const slice = items.slice(start, start + size)
  return { items: slice, next: start + size < items.length ? String(start + size) : undefined }
}
