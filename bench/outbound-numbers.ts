/** The benchmark's phone number ids (shared by the benchmark, its worker and its simulator processes). */
export function phoneNumberIdFor(i: number): string {
  return String(100000000000100 + i);
}
