import { create } from 'zustand';

/** The pair the path view shows: opened from a matrix cell, a topology link or a finding. */
export interface PathState {
  pair: { a: string; b: string } | null;
  open(a: string, b: string): void;
  close(): void;
}

export const usePathStore = create<PathState>((set) => ({
  pair: null,
  open: (a, b) => set({ pair: { a, b } }),
  close: () => set({ pair: null }),
}));
