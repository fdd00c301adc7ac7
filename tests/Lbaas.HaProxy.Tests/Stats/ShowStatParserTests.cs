using Lbaas.HaProxy.Stats;

namespace Lbaas.HaProxy.Tests.Stats;

public sealed class ShowStatParserTests
{
    // Captured from HAProxy 2.6.12: header, a frontend, a server in MAINT, a DOWN server with a check reply, a backend.
    private const string Csv =
        "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,\n" +
        "lb_1,FRONTEND,,,0,0,1000,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,3,0,,,,0,0,0,0,,,,0,0,0,0,0,0,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,0,0,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\n" +
        "lb_1,b_1,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,5,1,0,1,1,29,29,,1,4,1,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:19005,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,4,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,\n" +
        "b2,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,2,2,,1,3,1,,0,,2,0,,0,L7STS,404,6,0,0,0,0,0,0,,,,0,0,0,,,,,-1,\"File not found, \"\"really\"\"\",,0,0,0,0,,,,Layer7 wrong status,,1,1,0,,,,127.0.0.1:19001,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,\n" +
        "lb_1,BACKEND,0,0,2,5,100,17,1234,5678,0,0,,0,0,0,0,UP,1,1,0,,2,0,0,,1,4,0,,3,,1,0,,1,,,,0,15,1,1,0,0,,,,17,0,0,0,0,0,0,-1,,,3,1,4,9,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\n" +
        "\n";

    [Fact]
    public void Parse_RealOutput_TypesEveryRow()
    {
        var rows = ShowStatParser.Parse(Csv);

        Assert.Equal(4, rows.Count);
        Assert.Equal([StatType.Frontend, StatType.Server, StatType.Server, StatType.Backend], rows.Select(r => r.Type));
        Assert.Equal("OPEN", rows[0].Status);
        Assert.Null(rows[0].Weight);
    }

    [Fact]
    public void Parse_Server_ReadsStateWeightAndAddress()
    {
        var server = ShowStatParser.Parse(Csv)[1];

        Assert.Equal("lb_1", server.ProxyName);
        Assert.Equal("b_1", server.ServiceName);
        Assert.Equal("MAINT", server.Status);
        Assert.Equal(5, server.Weight);
        Assert.Equal(29, server.LastChangeSeconds);
        Assert.Equal("127.0.0.1:19005", server.Address);
    }

    [Fact]
    public void Parse_QuotedField_KeepsCommasAndQuotes()
    {
        var down = ShowStatParser.Parse(Csv)[2];

        Assert.Equal("DOWN", down.Status);
        Assert.Equal("L7STS", down.CheckStatus);
        Assert.Equal(404, down.CheckCode);
        Assert.Equal(6, down.CheckDurationMs);
        Assert.Equal("File not found, \"really\"", down.LastCheck);
    }

    [Fact]
    public void Parse_Backend_ReadsCountersAndTimes()
    {
        var backend = ShowStatParser.Parse(Csv)[3];

        Assert.Equal((2L, 5L, 17L, 1234L, 5678L), (backend.CurrentSessions, backend.MaxSessions, backend.TotalSessions, backend.BytesIn, backend.BytesOut));
        Assert.Equal((0L, 15L, 1L, 1L, 0L), (backend.Http1xx, backend.Http2xx, backend.Http3xx, backend.Http4xx, backend.Http5xx));
        Assert.Equal(17, backend.RequestsTotal);
        Assert.Equal((3L, 1L, 4L, 9L), (backend.QueueTimeMs, backend.ConnectTimeMs, backend.ResponseTimeMs, backend.TotalTimeMs));
        Assert.Equal("roundrobin", backend.Algorithm);
    }

    [Fact]
    public void Parse_NoHeader_Throws()
    {
        Assert.Throws<FormatException>(() => ShowStatParser.Parse("Unknown command\n"));
    }
}
