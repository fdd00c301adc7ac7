using System.Net;
using Lbaas.Api.Revisions;
using Microsoft.AspNetCore.Http;

namespace Lbaas.Api.Tests.Unit;

public sealed class RevisionCauseTests
{
    private static DefaultHttpContext Request(string? actor = null, IPAddress? remote = null)
    {
        var http = new DefaultHttpContext();
        if (actor is not null)
        {
            http.Request.Headers[ActorHeader.Name] = actor;
        }
        http.Connection.RemoteIpAddress = remote;
        return http;
    }

    [Fact]
    public void Of_HeaderAndAddress_RecordsActorAndSource()
    {
        var cause = RevisionCause.Of(Request("ci/deploy-7", IPAddress.Parse("::ffff:10.1.2.3")), RevisionActions.BackendCreate);

        Assert.Equal(new RevisionCause("backend.create", "ci/deploy-7", "10.1.2.3"), cause);
    }

    [Fact]
    public void Of_NoHeaderNoAddress_LeavesBothNull()
    {
        var cause = RevisionCause.Of(Request(), RevisionActions.Rollback, "rolled back to 3");

        Assert.Equal(new RevisionCause("rollback", null, null, "rolled back to 3"), cause);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("")]
    [InlineData("Ünïcode pipeline #12")]
    public void Check_AcceptableActor_IsNull(string actor)
    {
        Assert.Null(ActorHeader.Check(Request(actor).Request));
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    public void Check_ControlCharacter_NamesHeader(string actor)
    {
        var problem = ActorHeader.Check(Request(actor).Request);

        Assert.NotNull(problem);
        Assert.Contains(ActorHeader.Name, problem.ProblemDetails.Errors.Keys);
    }

    [Fact]
    public void Check_TooLongOrRepeated_NamesHeader()
    {
        Assert.NotNull(ActorHeader.Check(Request(new string('a', ActorHeader.MaxLength + 1)).Request));
        Assert.Null(ActorHeader.Check(Request(new string('a', ActorHeader.MaxLength)).Request));
        var twice = Request();
        twice.Request.Headers[ActorHeader.Name] = new Microsoft.Extensions.Primitives.StringValues(["a", "b"]);
        Assert.NotNull(ActorHeader.Check(twice.Request));
    }
}
