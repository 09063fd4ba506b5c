import { describe, expect, it } from 'vitest';
import { insertionPlan, type ForeignKey } from './catalog';
import { unclassifiedCredentialColumns } from './format';

const fk = (table: string, references: string, over: Partial<ForeignKey> = {}): ForeignKey => ({
  name: `${table}_${references}_fkey`,
  table,
  references,
  columns: [`${references.toLowerCase()}Id`],
  deferrable: false,
  nullable: false,
  ...over,
});

describe('insertionPlan', () => {
  it('puts referenced tables first, ties by name, and ignores references to the same table', () => {
    const plan = insertionPlan(['Run', 'User', 'Contract', 'Receipt', 'Token'], [fk('Run', 'Contract'), fk('Contract', 'User'), fk('Receipt', 'Run'), fk('Token', 'Token'), fk('Token', 'User')]);
    expect(plan).toEqual({ order: ['User', 'Contract', 'Run', 'Receipt', 'Token'], deferred: [] });
  });

  it('breaks a cycle at a deferrable key first, else at a nullable one, and leaves keys off the cycle alone', () => {
    const nullable = fk('A', 'B', { nullable: true });
    const required = fk('B', 'A');
    const downstream = fk('C', 'B', { nullable: true });
    expect(insertionPlan(['A', 'B', 'C'], [nullable, required, downstream])).toEqual({ order: ['A', 'B', 'C'], deferred: [nullable] });
    const deferrable = fk('B', 'A', { deferrable: true });
    expect(insertionPlan(['A', 'B'], [nullable, deferrable])).toEqual({ order: ['B', 'A'], deferred: [deferrable] });
  });

  it('refuses a cycle of required, non-deferrable keys', () => {
    expect(() => insertionPlan(['A', 'B'], [fk('A', 'B'), fk('B', 'A')])).toThrow(/A, B reference each other/);
  });
});

describe('credential columns', () => {
  it('names columns that look like credentials and are classified nowhere', () => {
    const column = (name: string) => ({ name, type: 'text', notNull: false, collatable: true, generated: false, json: null, asText: null });
    const tables = [
      { name: 'User', primaryKey: ['id'], columns: ['id', 'passwordHash', 'email'].map(column) },
      { name: 'Webhook', primaryKey: ['id'], columns: ['id', 'signingSecret', 'url', 'apiKey'].map(column) },
    ];
    expect(unclassifiedCredentialColumns({ tables })).toEqual(['Webhook.signingSecret', 'Webhook.apiKey']);
  });
});
