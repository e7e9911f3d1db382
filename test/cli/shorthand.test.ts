import { describe, expect, test } from 'vitest';
import { parseShorthandHash, parseShorthandList, ShorthandError } from '../../main/cli/shorthand.js';

describe('AWS CLI shorthand syntax', () => {
  test('key=value pairs', () => {
    expect(parseShorthandHash('TagKey=a,TagValue=b')).toEqual({ TagKey: 'a', TagValue: 'b' });
    expect(parseShorthandHash(' k = v , k2=v2 ')).toEqual({ k: 'v', k2: 'v2' });
  });

  test('values may contain = and be empty', () => {
    expect(parseShorthandHash('a=b=c,d=')).toEqual({ a: 'b=c', d: '' });
    expect(parseShorthandHash('v=YWJj,w=YQ==')).toEqual({ v: 'YWJj', w: 'YQ==' });
  });

  test('quoting and escapes keep commas in values', () => {
    expect(parseShorthandHash('a="x,y",b=\'p,q\'')).toEqual({ a: 'x,y', b: 'p,q' });
    expect(parseShorthandHash('a=x\\,y')).toEqual({ a: 'x,y' });
    expect(parseShorthandHash('a="say \\"hi\\""')).toEqual({ a: 'say "hi"' });
  });

  test('a bare value after a comma continues a list, as in the AWS CLI', () => {
    expect(parseShorthandHash('k=a,b,c,k2=d')).toEqual({ k: ['a', 'b', 'c'], k2: 'd' });
  });

  test('explicit lists and nested hashes', () => {
    expect(parseShorthandHash('k=[a,b],h={x=1,y=2}')).toEqual({ k: ['a', 'b'], h: { x: '1', y: '2' } });
    expect(parseShorthandHash('k=[]')).toEqual({ k: [] });
  });

  test('__proto__ stays an ordinary key', () => {
    const v = parseShorthandHash('__proto__=x,a=b');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
  });

  test('lists of scalars', () => {
    expect(parseShorthandList('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(parseShorthandList('[a, b]')).toEqual(['a', 'b']);
    expect(parseShorthandList('"a,b",c')).toEqual(['a,b', 'c']);
    expect(parseShorthandList('single')).toEqual(['single']);
  });

  test.each(['novalue', '=x', 'a="unterminated', 'a=[x,y', 'a={x=1'])('malformed: %s', (text) => {
    expect(() => parseShorthandHash(text)).toThrow(ShorthandError);
  });
});
