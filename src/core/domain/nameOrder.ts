/**
 * The order of names in every list the product shows or writes (customers, relationships, groups,
 * roles, findings): blind to case and accents, numbers by value ("Contoso 2" before "Contoso 10"), the
 * same on every machine whatever its locale.
 *
 * The collator is made on first use, not when a module loads: making one loads ICU's collation data,
 * ≈ 14 ms that every command of the CLI paid at start-up before it sent anything (BENCHMARKS.md,
 * "Inventory, fifth pass").
 */
let collator: Intl.Collator | undefined;

export function compareNames(a: string, b: string): number {
  collator ??= new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  return collator.compare(a, b);
}

/** Makes the collator now (e.g. while a read waits for the network), so that the first sort does not wait for it. */
export function prepareNameOrder(): void {
  compareNames('', '');
}
