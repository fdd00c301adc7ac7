using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lbaas.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class StatusTableAndRevisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "desired_state_revisions");

            migrationBuilder.AddColumn<long>(
                name: "revision",
                table: "load_balancers",
                type: "bigint",
                nullable: false,
                defaultValueSql: "nextval('desired_state_revisions')");

            migrationBuilder.CreateTable(
                name: "load_balancer_statuses",
                columns: table => new
                {
                    load_balancer_id = table.Column<long>(type: "bigint", nullable: false),
                    provisioning_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    operating_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    applied_revision = table.Column<long>(type: "bigint", nullable: false),
                    attempted_revision = table.Column<long>(type: "bigint", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_load_balancer_statuses", x => x.load_balancer_id);
                    table.ForeignKey(
                        name: "fk_load_balancer_statuses_load_balancers_id",
                        column: x => x.load_balancer_id,
                        principalTable: "load_balancers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Keep what existing load balancers had: statuses move to their own table.
            migrationBuilder.Sql("""
                INSERT INTO load_balancer_statuses (load_balancer_id, provisioning_status, operating_status, reason, applied_revision, attempted_revision, changed_at)
                SELECT id, provisioning_status, operating_status, status_reason, 0, 0, updated_at FROM load_balancers
                """);

            migrationBuilder.DropColumn(
                name: "operating_status",
                table: "load_balancers");

            migrationBuilder.DropColumn(
                name: "provisioning_status",
                table: "load_balancers");

            migrationBuilder.DropColumn(
                name: "status_reason",
                table: "load_balancers");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "load_balancer_statuses");

            migrationBuilder.DropColumn(
                name: "revision",
                table: "load_balancers");

            migrationBuilder.DropSequence(
                name: "desired_state_revisions");

            migrationBuilder.AddColumn<string>(
                name: "operating_status",
                table: "load_balancers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "provisioning_status",
                table: "load_balancers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "status_reason",
                table: "load_balancers",
                type: "character varying(4096)",
                maxLength: 4096,
                nullable: true);
        }
    }
}
