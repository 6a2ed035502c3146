/**
 * The one redactor: every form of every secret becomes `***`. JSON-escaped
 * forms are covered too, since status and reports are printed as JSON.
 * Secrets under 3 characters are left alone: masking `x` everywhere would
 * wreck the output and hide nothing.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a password inside the connection string does not leave the rest of it behind.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => ordered.reduce((t, secret) => (t.includes(secret) ? t.split(secret).join('***') : t), text);
}
