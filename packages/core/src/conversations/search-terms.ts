/**
 * How the inbox search reads what an agent types: phone numbers in any common notation, and where in a text the
 * term was found (for the highlighted excerpt in the list).
 */

/** Characters people put between the digits of a phone number. */
const PHONE_LIKE = /^[\d\s\-+()./]+$/;

/**
 * The digit strings a search term can match inside a stored WhatsApp id (which is the number in international form
 * without "+", e.g. 491512345678). "0151 2345678" (national, trunk prefix 0), "+49 151-2345678" and "0049 151 …"
 * (international prefix 00) all find it. Terms with fewer than three digits match no number.
 */
export function phoneSearchDigits(term: string): string[] {
  const digits = term.replace(/\D/g, "");
  if (digits.length < 3) return [];
  const variants = new Set([digits]);
  // A term of digits and separators only is a number: drop an international (00) or national (0) prefix.
  if (PHONE_LIKE.test(term.trim())) {
    const bare = digits.startsWith("00") ? digits.slice(2) : digits.startsWith("0") ? digits.slice(1) : digits;
    if (bare.length >= 3) variants.add(bare);
  }
  return [...variants];
}

export interface TextMatch {
  text: string;
  start: number;
  end: number;
}

const EXCERPT_BEFORE = 30;
const EXCERPT_LENGTH = 120;

/** An excerpt of `text` around the first case-insensitive occurrence of `term`, with the match's position in it. */
export function excerptAround(text: string, term: string): TextMatch | null {
  const at = text.toLocaleLowerCase().indexOf(term.toLocaleLowerCase());
  if (at < 0 || term.length === 0) return null;
  const from = Math.max(0, at - EXCERPT_BEFORE);
  const to = Math.min(text.length, Math.max(at + term.length, from + EXCERPT_LENGTH));
  const lead = from > 0 ? "…" : "";
  const tail = to < text.length ? "…" : "";
  const body = text.slice(from, to).replace(/\s+/g, " ");
  // Whitespace runs collapsed before the match shift it: find it again in the excerpt.
  const inBody = body.toLocaleLowerCase().indexOf(term.toLocaleLowerCase().replace(/\s+/g, " "));
  const start = lead.length + Math.max(0, inBody);
  return { text: `${lead}${body}${tail}`, start, end: start + term.replace(/\s+/g, " ").length };
}

/** "+49 151 2345678"-like display of a WhatsApp id with the digits that matched marked (start/end in that text). */
export function numberMatch(waId: string, digitVariants: string[]): TextMatch | null {
  for (const digits of digitVariants) {
    const at = waId.indexOf(digits);
    if (at < 0) continue;
    const text = `+${waId}`;
    return { text, start: at + 1, end: at + 1 + digits.length };
  }
  return null;
}
