export default async function globalTeardown(): Promise<void> {
  await globalThis.__supportAccessStop?.();
  await globalThis.__logoutSinkStop?.();
}
