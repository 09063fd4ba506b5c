// `npm run docs:authz`: writes docs/authorization.md from the authorization matrix the tests execute.
import { writeFileSync } from 'node:fs';
import { renderMatrixMarkdown } from '../../lib/security/authorization-matrix';

writeFileSync('docs/authorization.md', renderMatrixMarkdown());
console.log('✓ docs/authorization.md written from lib/security/authorization-matrix.ts');
