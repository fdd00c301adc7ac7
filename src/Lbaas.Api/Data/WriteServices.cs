using Lbaas.Api.Reconciliation;
using Lbaas.Api.Revisions;

namespace Lbaas.Api.Data;

/// <summary>
/// What a write handler uses besides its request, bound with <c>[AsParameters]</c> (eShop's
/// <c>CatalogServices</c>): one parameter instead of six; handlers deconstruct it.
/// </summary>
public sealed record WriteServices(LbaasDb Db, WriteCommit Commit, WriteCompletion Completion, RevisionRecorder Revisions, DryRun DryRun, TimeProvider Time);
