import { v7 } from 'uuid';

/** UUIDv7: sortable by creation time, not guessable (DESIGN.md §4 Database). */
export function newId(): string {
  return v7();
}
