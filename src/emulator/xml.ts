import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { TencentCiAsrError } from '../shared/errors';

/** A parsed XML element: leaves are strings, repeated elements are arrays, children are nested objects. */
export type XmlValue = string | XmlObject | XmlValue[];
/** An XML element with child elements. */
export interface XmlObject {
  [name: string]: XmlValue;
}

/** Thrown by `parseXml` when a request body is not well-formed XML. */
export class MalformedXmlError extends TencentCiAsrError {
  override readonly name = 'MalformedXmlError';
}

// Leaves stay strings (like CI's own parsers see them); whitespace between elements is dropped.
const parser = new XMLParser({
  ignoreDeclaration: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
});
const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

/** XML declaration the emulator puts in front of every XML body it writes. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Parses an XML document (with or without declaration); throws {@link MalformedXmlError} when not well-formed. */
export function parseXml(text: string): XmlObject {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new MalformedXmlError(`The XML you provided was not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const parsed: unknown = parser.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new MalformedXmlError('The XML document is empty.');
  return parsed as XmlObject;
}

/** Serialises `{ Root: {...} }` with the XML declaration; arrays become repeated elements. */
export function buildXml(document: XmlObject): string {
  return XML_DECLARATION + builder.build(document);
}

/** The child element `name` of `node` when it is a single object. */
export function childObject(node: XmlValue | undefined, name: string): XmlObject | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const child = node[name];
  return typeof child === 'object' && child !== null && !Array.isArray(child) ? child : undefined;
}

/** The text of child element `name` of `node`; `undefined` when absent or not a leaf. An empty element is `''`. */
export function childText(node: XmlValue | undefined, name: string): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const child = node[name];
  return typeof child === 'string' ? child : undefined;
}
