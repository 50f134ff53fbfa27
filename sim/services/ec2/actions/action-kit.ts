import type { QueryParams } from "../../../protocol/query-params.ts";
import type { XmlValue } from "../../../protocol/xml.ts";
import type { QueryAction, QueryActionContext } from "../../query-service.ts";
import { rawRequestParameters } from "../cloudtrail-shapes.ts";
import type { Ec2State } from "../ec2-state.ts";
import { compileFilters, type FilterSchema, parseFilters } from "../filters.ts";
import type { IndexedCollection, Stored } from "../indexed-collection.ts";
import { encodeNextToken, type PagingRules, readPaging, selectPage } from "../pagination.ts";
import { type ResourceKind, resolveAll } from "../resource-ids.ts";

/** What an EC2 action sees: the request context plus the account's EC2 model. */
export interface Ec2ActionContext extends QueryActionContext {
  readonly ec2: Ec2State;
}

/** The members of an action's answer. */
export type XmlResult = Record<string, XmlValue>;

const withEc2 = (context: QueryActionContext): Ec2ActionContext => ({ ...context, ec2: context.world.ec2 });

/** A read-only action (never on the trail). */
export const readAction = (run: (context: Ec2ActionContext) => XmlResult): QueryAction => ({
  mutating: false,
  run: (context) => ({ result: run(withEc2(context)) }),
});

/** How a mutating action records itself on the trail and what it does. */
export interface MutationSpec {
  /** CloudTrail `requestParameters`, in CloudTrail's EC2 shape. */
  requestParameters(params: QueryParams): unknown;
  /** The answer, and the CloudTrail `responseElements` beyond `requestId` (default `{_return: true}`). */
  run(context: Ec2ActionContext): { result: XmlResult; responseElements?: Record<string, unknown> };
}

/**
 * A mutation, recorded on the trail. A request too malformed for its CloudTrail shape still gets
 * a record (with its raw parameters) rather than breaking the answer.
 */
export const mutatingAction = (spec: MutationSpec): QueryAction => ({
  mutating: true,
  requestParameters: (params) => {
    try {
      return spec.requestParameters(params);
    } catch {
      return rawRequestParameters(params);
    }
  },
  run: (context) => {
    const { result, responseElements } = spec.run(withEc2(context));
    return { result, responseElements: { requestId: context.requestId, ...(responseElements ?? { _return: true }) } };
  },
});

/** One Describe action's collection, filters, paging rules and explicit ids. */
export interface DescribeSpec<T extends Stored> {
  readonly params: QueryParams;
  readonly action: string;
  readonly collection: IndexedCollection<T>;
  readonly schema: FilterSchema<T>;
  readonly paging: PagingRules;
  /** Explicit ids (`NetworkInterfaceId.N`, …): each must exist, as EC2 checks. */
  readonly ids?: readonly string[];
  readonly kind?: ResourceKind;
  /** Extra candidates named another way (DescribeSecurityGroups' `GroupName.N`). */
  readonly extraCandidates?: readonly string[];
}

/**
 * The common Describe flow: validate filters and paging, resolve explicit ids, pick the
 * narrowest index, and cut one page in creation order with an opaque NextToken.
 */
export const describePage = <T extends Stored>(spec: DescribeSpec<T>): { items: T[]; nextToken?: string } => {
  const query = compileFilters(spec.schema, parseFilters(spec.params));
  const ids = spec.ids ?? [];
  const named = [...ids, ...(spec.extraCandidates ?? [])];
  const cursor = readPaging(spec.params, spec.action, spec.paging, named.length > 0);
  if (spec.kind && ids.length > 0) resolveAll(spec.kind, ids, (id) => spec.collection.get(id));
  const candidates = named.length > 0 ? new Set(named) : query.candidates(spec.collection);
  const page = selectPage(spec.collection, { cursor, matches: query.matches, candidates });
  return {
    items: page.items,
    ...(page.lastSeq === undefined ? {} : { nextToken: encodeNextToken(spec.action, page.lastSeq) }),
  };
};
