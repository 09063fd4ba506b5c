import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv';

describe('audit CSV', () => {
  it('quotes commas, quotes and newlines', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('neutralises values a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('-1+2')).toBe("'-1+2");
  });

  it('writes JSON for objects and nothing for null', () => {
    expect(csvLine([null, { status: 'APPROVED' }, 3])).toBe(',"{""status"":""APPROVED""}",3\r\n');
  });
});
