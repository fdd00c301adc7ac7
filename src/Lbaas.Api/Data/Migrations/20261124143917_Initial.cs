using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lbaas.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    scope = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    location = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    response_body = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_records", x => new { x.scope, x.key });
                });

            migrationBuilder.CreateTable(
                name: "load_balancers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    description = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    protocol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    bind_address = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    frontend_port = table.Column<int>(type: "integer", nullable: false),
                    algorithm = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    max_connections = table.Column<int>(type: "integer", nullable: true),
                    labels = table.Column<string>(type: "jsonb", nullable: false),
                    provisioning_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    operating_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status_reason = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    health_check_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    health_check_expected_status = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    health_check_fall = table.Column<int>(type: "integer", nullable: false),
                    health_check_interval_ms = table.Column<int>(type: "integer", nullable: false),
                    health_check_method = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    health_check_path = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    health_check_rise = table.Column<int>(type: "integer", nullable: false),
                    health_check_timeout_ms = table.Column<int>(type: "integer", nullable: false),
                    health_check_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    timeouts_client_ms = table.Column<int>(type: "integer", nullable: false),
                    timeouts_connect_ms = table.Column<int>(type: "integer", nullable: false),
                    timeouts_server_ms = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_load_balancers", x => x.id);
                    table.CheckConstraint("ck_load_balancers_frontend_port", "frontend_port BETWEEN 1 AND 65535");
                    table.CheckConstraint("ck_load_balancers_max_connections", "max_connections IS NULL OR max_connections > 0");
                });

            migrationBuilder.CreateTable(
                name: "backends",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    load_balancer_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    port = table.Column<int>(type: "integer", nullable: false),
                    weight = table.Column<int>(type: "integer", nullable: false),
                    backup = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backends", x => x.id);
                    table.CheckConstraint("ck_backends_port", "port BETWEEN 1 AND 65535");
                    table.CheckConstraint("ck_backends_weight", "weight BETWEEN 0 AND 256");
                    table.ForeignKey(
                        name: "fk_backends_load_balancers_load_balancer_id",
                        column: x => x.load_balancer_id,
                        principalTable: "load_balancers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_backends_load_balancer_id_host_port",
                table: "backends",
                columns: new[] { "load_balancer_id", "host", "port" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_backends_load_balancer_id_name",
                table: "backends",
                columns: new[] { "load_balancer_id", "name" },
                unique: true,
                filter: "name IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_records_created_at",
                table: "idempotency_records",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_load_balancers_bind_address_frontend_port",
                table: "load_balancers",
                columns: new[] { "bind_address", "frontend_port" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_load_balancers_labels",
                table: "load_balancers",
                column: "labels")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_load_balancers_name",
                table: "load_balancers",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backends");

            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "load_balancers");
        }
    }
}
