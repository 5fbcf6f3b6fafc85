import { strict as assert } from 'node:assert';
import { peekNextLink } from '../../../../src/core/graph/graphPager';

const LINK = 'https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$top=300&$skiptoken=eyJvIjozMDB9';

describe('peekNextLink: the next page link read from the start of a page text', () => {
  it('finds the link among the leading annotations, as Graph writes them, and equals what JSON.parse reads', () => {
    const texts = [
      JSON.stringify({ '@odata.nextLink': LINK, value: [] }),
      JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#x', '@odata.nextLink': LINK, value: [{ id: 'a' }] }),
      JSON.stringify({ '@odata.context': 'c', '@odata.count': 1200, '@odata.nextLink': LINK, value: [] }),
      JSON.stringify({ '@odata.context': 'c', '@odata.nextLink': LINK, value: [] }, null, 2),
      ` \n{ "@odata.nextLink" : "${LINK}" , "value": [] }`,
    ];
    for (const text of texts) {
      assert.equal(peekNextLink(text), LINK, text);
      assert.equal(peekNextLink(text), (JSON.parse(text) as Record<string, unknown>)['@odata.nextLink']);
    }
  });

  it('leaves every other shape to the parsed page (undefined)', () => {
    const texts = [
      // After value, or no link at all.
      JSON.stringify({ value: [], '@odata.nextLink': LINK }),
      JSON.stringify({ '@odata.context': 'c', value: [] }),
      // A property other than an annotation first.
      JSON.stringify({ id: 'x', '@odata.nextLink': LINK }),
      // Escapes inside the link, or inside an annotation before it.
      JSON.stringify({ '@odata.nextLink': `${LINK}&a="b"` }),
      `{"@odata.nextLink":"https:\\/\\/graph.microsoft.com\\/v1.0\\/x","value":[]}`,
      JSON.stringify({ '@odata.context': 'a"b', '@odata.nextLink': LINK }),
      // A link that is no string, empty, or not JSON at all.
      '{"@odata.nextLink":null,"value":[]}',
      '{"@odata.nextLink":"","value":[]}',
      '[{"@odata.nextLink":"x"}]',
      '',
      'not json',
    ];
    for (const text of texts) {
      assert.equal(peekNextLink(text), undefined, text);
    }
  });

  it('reads only the start of a long page: a link that leads is found, a link far behind is not', () => {
    const big = Array.from({ length: 2000 }, (_, i) => ({ id: `relationship-${i}`, displayName: 'x'.repeat(40) }));
    assert.equal(peekNextLink(JSON.stringify({ '@odata.context': 'c', '@odata.nextLink': LINK, value: big })), LINK);
    assert.equal(peekNextLink(JSON.stringify({ '@odata.context': 'c', value: big, '@odata.nextLink': LINK })), undefined);
  });
});
