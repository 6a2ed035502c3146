/**
 * Positions in a migration file: 1-based line and column, columns counted
 * in code points as PostgreSQL counts them, so a server error position and
 * a lexer offset land on the same character an editor shows.
 */

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** 1-based line and column (column counted in code points) of a UTF-16 offset in text. Lines break at \n only. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  return lineLocator(text)(offset);
}

/**
 * lineColumnAt for many offsets of one text: each call resumes where the last
 * one stopped, so offsets in increasing order (every statement of a file)
 * cost one pass over the text, not one pass each.
 */
export function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  let at = 0;
  let line = 1;
  let column = 1;
  return (offset) => {
    const stop = Math.max(0, Math.min(offset, text.length));
    if (stop < at) [at, line, column] = [0, 1, 1];
    for (; at < stop; at++) {
      const c = text.charCodeAt(at);
      if (c === 10) {
        line++;
        column = 1;
      } else if (!(isLowSurrogate(c) && at > 0 && isHighSurrogate(text.charCodeAt(at - 1)))) {
        column++; // the second half of a surrogate pair is not a new character
      }
    }
    return { line, column };
  };
}

/** Convert a server error position (1-based count of code points) to a UTF-16 offset into `text`, clamped to text.length. */
export function offsetFromServerPosition(text: string, position: number): number {
  let offset = 0;
  for (let k = 1; k < position && offset < text.length; k++) {
    const pair = isHighSurrogate(text.charCodeAt(offset)) && isLowSurrogate(text.charCodeAt(offset + 1));
    offset += pair ? 2 : 1;
  }
  return offset;
}

/** A 1-based line and column. */
export interface FilePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Where a position inside a piece of text lands in the file, given where the
 * text starts in the file: the one formula for sections and statements.
 */
export function shiftPosition(origin: FilePosition, at: FilePosition): FilePosition {
  return { line: origin.line + at.line - 1, column: at.line === 1 ? origin.column + at.column - 1 : at.column };
}

/** The file position of a server error position (1-based code points) in `text`, which starts at `origin`. */
export function serverPositionIn(text: string, origin: FilePosition, position: number): FilePosition {
  return shiftPosition(origin, lineColumnAt(text, offsetFromServerPosition(text, position)));
}
