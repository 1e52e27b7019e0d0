-- One row per person who answered NPS or referred someone before as_of_date, over
-- all merged accounts: their latest NPS answer (the current opinion) and the
-- referrals they made and that converted.
with

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

nps_responses as (

    select * from {{ ref('stg_shop__nps_responses') }}

),

referrals as (

    select * from {{ ref('stg_shop__referrals') }}

),

nps_ranked as (

    select
        resolved.customer_id,
        nps_responses.score,
        row_number() over (
            partition by resolved.customer_id
            order by nps_responses.responded_at desc, nps_responses.response_id desc
        ) as answer_rank

    from nps_responses
    inner join resolved
        on nps_responses.customer_id = resolved.source_customer_id
    where nps_responses.responded_at < {{ as_of_date() }}

),

referrals_made as (

    select
        resolved.customer_id,
        count(*) as referrals_made,
        sum(
            case
                when coalesce(referrals.converted, referrals.referred_customer_id is not null) then 1
                else 0
            end
        ) as referrals_converted

    from referrals
    inner join resolved
        on referrals.referrer_customer_id = resolved.source_customer_id
    where referrals.referred_at < {{ as_of_date() }}
    group by resolved.customer_id

),

latest_nps as (

    select * from nps_ranked
    where answer_rank = 1

),

final as (

    select
        coalesce(latest_nps.customer_id, referrals_made.customer_id) as customer_id,
        latest_nps.score as latest_nps,
        referrals_made.referrals_made,
        referrals_made.referrals_converted

    from latest_nps
    full outer join referrals_made
        on latest_nps.customer_id = referrals_made.customer_id

)

select * from final
