// The benchmark's grid: 13 columns by 15 lanes with 300 cards of 4 to 30 words, the shape of
// bench/render.py's big_journey, and the one state change a drop makes.

export interface BenchCard {
  id: string;
  cell: string; // "column:lane"
  text: string;
}

export const COLUMNS = 13;
export const LANES = 15;
const WORDS = "the customer sees a fee at checkout and leaves the cart with doubts about delivery".split(" ");

export function cards(count = 300): BenchCard[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  return Array.from({ length: count }, (_, i) => ({
    id: `c${i}`,
    cell: `${next(COLUMNS)}:${next(LANES)}`,
    text: Array.from({ length: 4 + next(27) }, () => WORDS[next(WORDS.length)]).join(" "),
  }));
}

/** The card moved to the end of a cell: a new array, the other cards the same objects. */
export function moved(all: BenchCard[], id: string, cell: string): BenchCard[] {
  const card = all.find((c) => c.id === id);
  if (!card || card.cell === cell) return all;
  return [...all.filter((c) => c.id !== id), { ...card, cell }];
}
