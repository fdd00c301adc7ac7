using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lbaas.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Health : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "operating_reason",
                table: "load_balancer_statuses",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "operating_since",
                table: "load_balancer_statuses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "backend_statuses",
                columns: table => new
                {
                    backend_id = table.Column<long>(type: "bigint", nullable: false),
                    operating_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backend_statuses", x => x.backend_id);
                    table.ForeignKey(
                        name: "fk_backend_statuses_backends_id",
                        column: x => x.backend_id,
                        principalTable: "backends",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_transitions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    load_balancer_id = table.Column<long>(type: "bigint", nullable: false),
                    backend_id = table.Column<long>(type: "bigint", nullable: true),
                    from_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    to_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_transitions", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_transitions_load_balancers_load_balancer_id",
                        column: x => x.load_balancer_id,
                        principalTable: "load_balancers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_status_transitions_at",
                table: "status_transitions",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_status_transitions_load_balancer_id_id",
                table: "status_transitions",
                columns: new[] { "load_balancer_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backend_statuses");

            migrationBuilder.DropTable(
                name: "status_transitions");

            migrationBuilder.DropColumn(
                name: "operating_reason",
                table: "load_balancer_statuses");

            migrationBuilder.DropColumn(
                name: "operating_since",
                table: "load_balancer_statuses");
        }
    }
}
