import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Integration files share one database that grows as they run. The fuzz files compare every table
 * before and after each of their thousands of calls, which costs in proportion to the data: they run
 * first, on a small database; the rest keep Vitest's own order.
 */
export default class IntegrationOrder extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => (/security\/fuzz-/.test(f.moduleId) ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}
