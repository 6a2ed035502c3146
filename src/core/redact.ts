/** Shorter values are never masked: masking `x` everywhere would wreck the output and hide nothing. */
export const MIN_SECRET_LENGTH = 3;

/**
 * Every form a secret can take in what pgshift prints: as given, URL-encoded
 * and URL-decoded (a password is written either way in a connection
 * string), and each of those JSON-escaped (status and reports are printed as
 * JSON). Longest first, so a password inside a connection string does not
 * leave the rest of it behind. Forms under {@link MIN_SECRET_LENGTH} are left out.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    const urlForms = [secret, encodeURIComponent(secret)];
    try {
      urlForms.push(decodeURIComponent(secret));
    } catch {
      // not URL-encoded (a lone %): the raw form is kept
    }
    for (const form of urlForms) {
      forms.add(form);
      forms.add(JSON.stringify(form).slice(1, -1));
    }
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * The one redactor: every form of every secret ({@link secretForms})
 * becomes `***`. Redact where a text is made, before any escaping (HTML,
 * Markdown) could split a secret so that it no longer matches.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const ordered = secretForms(secrets);
  if (ordered.length === 0) return (text) => text;
  return (text) => ordered.reduce((t, secret) => (t.includes(secret) ? t.split(secret).join('***') : t), text);
}
