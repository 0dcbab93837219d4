/** The colour a status code is drawn in: green 2xx, blue 3xx, orange 4xx, red 5xx. */
export function statusColor(code: string): string {
  switch (code[0]) {
    case '2':
      return '#2f9e44';
    case '3':
      return '#1c7ed6';
    case '4':
      return '#f08c00';
    case '5':
      return '#e03131';
    default:
      return '#868e96';
  }
}

/** The Mantine colour name for a status code badge, on the same scale. */
export function statusBadgeColor(code: string): string {
  return { '2': 'green', '3': 'blue', '4': 'orange', '5': 'red' }[code[0] ?? ''] ?? 'gray';
}
