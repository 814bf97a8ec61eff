import type { Request } from 'express';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  matchers?: Array<(path: string) => unknown>;
}

/**
 * The methods the application serves on this request's path, read from the Express
 * router Nest registers its routes on. Empty when no route has this path at all.
 */
export function allowedMethods(req: Request): string[] {
  const router = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router;
  const methods = new Set<string>();
  for (const layer of router?.stack ?? []) {
    if (!layer.route || !layer.matchers?.some((match) => Boolean(match(req.path)))) continue;
    for (const method of Object.keys(layer.route.methods)) if (method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
