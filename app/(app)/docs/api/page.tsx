import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { openApiDocument } from '@/lib/runs/openapi';
import { pageOrigin } from '@/lib/server/origin';
import { Badge } from '@/components/ui/badge';
import { CopyBlock } from '@/components/ui/copy-block';

export const metadata: Metadata = { title: 'Agent API' };

type Operation = { summary: string; security?: Record<string, unknown>[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { description?: string }> };

export default async function ApiDocsPage() {
  await requireUser();
  const doc = openApiDocument(await pageOrigin());
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods as Record<string, Operation>).map(([method, op]) => ({ path, method, op })));
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-slate-900">Agent API</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          {doc.info.description} The machine-readable document: <a href="/api/v1/openapi.json" className="text-brand-700 underline">/api/v1/openapi.json</a> (OpenAPI 3.1, generated from the zod schemas the server validates with).
        </p>
      </header>
      <ul className="space-y-4">
        {operations.map(({ path, method, op }) => {
          const auth = op.security?.map((s) => Object.keys(s)[0]).join(', ');
          const schema = op.requestBody?.content['application/json']?.schema;
          return (
            <li key={`${method} ${path}`} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={method === 'get' ? 'info' : 'brand'}>{method.toUpperCase()}</Badge>
                <code className="font-mono text-sm font-semibold text-slate-900">{path}</code>
                {auth && <span className="text-xs text-slate-500">{auth === 'agentToken' ? 'agent token (mdt_…)' : 'run token (mdr_…)'}</span>}
              </div>
              <p className="mt-1 text-sm text-slate-700">{op.summary}</p>
              <p className="mt-1 text-xs text-slate-500">Answers: {Object.entries(op.responses).map(([code, r]) => `${code}${r.description ? ` ${r.description.split(';')[0]!.replace(/\.$/, '')}` : ''}`).join(' · ')}</p>
              {schema !== undefined && (
                <details className="mt-2">
                  <summary className="cursor-pointer text-sm font-medium text-brand-700">Request body schema</summary>
                  <div className="mt-2">
                    <CopyBlock label={`${path} schema`} text={JSON.stringify(schema, null, 2)} />
                  </div>
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
