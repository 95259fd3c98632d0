// Catalog Products v1 (catalogs_products_v1.json): products must exist before plans reference them.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import { errors } from '../core/errors.ts';

type Json = Record<string, unknown>;
const RETENTION_MS = 72 * 3_600_000; // Catalog Products: PayPal-Request-Id kept 72 h

export interface Product {
  id: string;
  name: string;
  description?: string;
  type: string;
  category?: string;
  createTime: string;
  updateTime: string;
}

const products = (emu: Emulator) => emu.state.products as unknown as Record<string, Product>;

export function getProduct(emu: Emulator, id: string): Product {
  const p = products(emu)[id];
  if (!p) throw errors.notFound('product_id', id);
  return p;
}

function renderProduct(emu: Emulator, p: Product): Json {
  return {
    id: p.id,
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    type: p.type,
    ...(p.category ? { category: p.category } : {}),
    create_time: p.createTime,
    update_time: p.updateTime,
    links: [
      { href: emu.link(`/v1/catalogs/products/${p.id}`), rel: 'self', method: 'GET' },
      { href: emu.link(`/v1/catalogs/products/${p.id}`), rel: 'edit', method: 'PATCH' },
    ],
  };
}

export function productRoutes(emu: Emulator): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/catalogs/products',
      idempotencyMs: RETENTION_MS,
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        if (typeof b.name !== 'string' || !b.name) throw errors.missingField('/name');
        if (typeof b.type !== 'string' || !['PHYSICAL', 'DIGITAL', 'SERVICE'].includes(b.type))
          throw errors.missingField('/type');
        const now = emu.nowIso();
        const id = typeof b.id === 'string' ? b.id : `PROD-${emu.random.chars(17)}`;
        if (products(emu)[id])
          throw errors.unprocessable(
            'DUPLICATE_RESOURCE_IDENTIFIER',
            'A resource with the same identifier already exists.',
          );
        const p: Product = {
          id,
          name: b.name,
          type: b.type,
          createTime: now,
          updateTime: now,
          ...(typeof b.description === 'string' ? { description: b.description } : {}),
          ...(typeof b.category === 'string' ? { category: b.category } : {}),
        };
        products(emu)[id] = p;
        emu.emit('CATALOG.PRODUCT.CREATED', 'product', '1.0', 'A product is created.', renderProduct(emu, p));
        return { status: 201, body: renderProduct(emu, p) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/catalogs/products',
      handler: () => {
        const list = Object.values(products(emu));
        return {
          status: 200,
          body: {
            products: list.map((p) => renderProduct(emu, p)),
            total_items: list.length,
            total_pages: 1,
            links: [{ href: emu.link('/v1/catalogs/products'), rel: 'self', method: 'GET' }],
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/catalogs/products/:id',
      handler: ({ params }) => ({
        status: 200,
        body: renderProduct(emu, getProduct(emu, params.id!)),
      }),
    },
    {
      method: 'PATCH',
      pattern: '/v1/catalogs/products/:id',
      handler: ({ params, body }) => {
        const p = getProduct(emu, params.id!);
        for (const op of Array.isArray(body) ? (body as Json[]) : []) {
          if (op.path === '/description' && typeof op.value === 'string') p.description = op.value;
          else if (op.path === '/category' && typeof op.value === 'string') p.category = op.value;
          else throw errors.invalidField('/path', op.path);
        }
        p.updateTime = emu.nowIso();
        return { status: 204 };
      },
    },
  ];
}
